System.Console.WriteLine("samples");
